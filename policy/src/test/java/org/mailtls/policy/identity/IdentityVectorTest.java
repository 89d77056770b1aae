package org.mailtls.policy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.mailtls.testing.HeldCertificate;

/**
 * Table-driven identity vectors from {@code identity/vectors.csv}: every row of requirements.md
 * B.5 plus one row per further rule, each naming its requirement ID. Every row mints a real
 * certificate with the presented identifiers, so the SAN parser runs on real DER.
 */
class IdentityVectorTest {

  @ParameterizedTest(name = "{0}: {1} vs {2} [{3}] => {4}")
  @CsvFileSource(resources = "/identity/vectors.csv", delimiter = '|', numLinesToSkip = 1, encoding = "UTF-8")
  void match_vector(String rule, String references, String presented, String options, String expected) {
    IdentityPolicy policy = policy(options);
    HeldCertificate cert = certificate(presented);

    IdentityMatch result = IdentityMatcher.of(policy).match(references(references), cert.certificate());

    if (expected.equals("NO")) {
      assertFalse(result.isMatch(), () -> rule + ": expected no match but got " + result.message());
      assertTrue(result.message().contains("fix:"), result::message);
    } else {
      assertTrue(result.isMatch(), () -> rule + ": expected " + expected + " but got\n" + result.message());
      assertEquals(MatchKind.valueOf(expected), ((IdentityMatch.Matched) result).kind(), rule);
    }
  }

  static IdentityPolicy policy(String options) {
    switch (options) {
      case "strict":
        return IdentityPolicy.strict();
      case "legacy-cn":
        return IdentityPolicy.builder().legacyCommonName(true).build();
      case "bundle":
        return IdentityPolicy.builder().srvServiceBundles(true).build();
      default:
        throw new IllegalArgumentException("unknown options column: " + options);
    }
  }

  static ReferenceIdentities references(String column) {
    List<ReferenceIdentity> refs = new ArrayList<>();
    for (String token : column.trim().split(" +")) {
      int colon = token.indexOf(':');
      String kind = token.substring(0, colon);
      String value = token.substring(colon + 1);
      switch (kind) {
        case "dns":
          refs.add(new ReferenceIdentity.DnsId(DnsName.parse(value), ReferenceSource.EXPLICIT));
          break;
        case "ip":
          refs.add(new ReferenceIdentity.IpId(IpAddress.parse(value), ReferenceSource.EXPLICIT));
          break;
        case "srv":
          int second = value.indexOf(':');
          MailService service = MailService.fromLabel(value.substring(0, second)).orElseThrow();
          refs.add(new ReferenceIdentity.SrvId(service, DnsName.parse(value.substring(second + 1)), ReferenceSource.EXPLICIT));
          break;
        default:
          throw new IllegalArgumentException("unknown reference kind: " + token);
      }
    }
    return ReferenceIdentities.of(refs);
  }

  static HeldCertificate certificate(String column) {
    HeldCertificate.Builder b = HeldCertificate.builder();
    if (!column.equals("-")) {
      for (String token : column.trim().split(" +")) {
        int colon = token.indexOf(':');
        String kind = token.substring(0, colon);
        String value = token.substring(colon + 1);
        switch (kind) {
          case "dns": b.addDnsName(value); break;
          case "srv": b.addSrvName(value); break;
          case "srvutf8": b.addSrvNameUtf8(value); break;
          case "ip": b.addIpAddress(value); break;
          case "uri": b.addUri(value); break;
          case "email": b.addRfc822Name(value); break;
          case "cn": b.subjectCommonName(value); break;
          default: throw new IllegalArgumentException("unknown presented kind: " + token);
        }
      }
    }
    return b.build();
  }
}
