package org.mailtls.cli.pin;

import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.mailtls.policy.pin.CertificatePin;

/** What a user needs to see of a certificate before accepting it: subject, issuer, validity, key, SHA-256. */
final class CertificateText {
  private CertificateText() {}

  /** The leaf in full, then one line per further certificate of the chain. */
  static List<String> describeChain(List<X509Certificate> chain, Instant now) {
    List<String> out = new ArrayList<>();
    if (chain.isEmpty()) {
      out.add("(the server presented no certificate)");
      return out;
    }
    X509Certificate leaf = chain.get(0);
    String subject = leaf.getSubjectX500Principal().getName();
    out.add("subject:  " + (subject.isEmpty() ? "(empty)" : subject));
    out.add("names:    " + names(leaf));
    out.add("issuer:   " + leaf.getIssuerX500Principal().getName()
        + (leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()) ? "  (self-issued)" : ""));
    out.add("valid:    " + validity(leaf, now));
    out.add("key:      " + key(leaf.getPublicKey()));
    out.add("SHA-256:  " + CertificatePin.fingerprint(leaf));
    for (int i = 1; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      out.add("chain " + (i + 1) + ":  " + c.getSubjectX500Principal().getName() + ", SHA-256 "
          + CertificatePin.fingerprint(c));
    }
    return out;
  }

  /** The DNS and IP subjectAltNames, the only names RFC 7817 lets a mail server prove. */
  static String names(X509Certificate c) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
        Object type = san.get(0);
        if (Integer.valueOf(2).equals(type)) {
          names.add("DNS:" + san.get(1));
        } else if (Integer.valueOf(7).equals(type)) {
          names.add("IP:" + san.get(1));
        }
      }
    } catch (CertificateParsingException e) {
      return "(the subjectAltName extension cannot be parsed)";
    }
    return names.isEmpty() ? "(no DNS or IP subjectAltName)" : String.join(", ", names);
  }

  static String validity(X509Certificate c, Instant now) {
    Instant from = c.getNotBefore().toInstant();
    Instant to = c.getNotAfter().toInstant();
    String state;
    if (now.isBefore(from)) {
      state = "NOT YET VALID";
    } else if (now.isAfter(to)) {
      state = "EXPIRED " + Duration.between(to, now).toDays() + " days ago";
    } else {
      state = "expires in " + Duration.between(now, to).toDays() + " days";
    }
    return from + " to " + to + " (" + state + ")";
  }

  static String key(PublicKey key) {
    if (key instanceof RSAPublicKey) {
      return "RSA " + ((RSAPublicKey) key).getModulus().bitLength() + " bits";
    }
    if (key instanceof ECPublicKey) {
      ECPublicKey ec = (ECPublicKey) key;
      String params = ec.getParams().toString();
      int space = params.indexOf(' ');
      String name = params.startsWith("sec") || params.startsWith("brainpool")
          ? " (" + (space > 0 ? params.substring(0, space) : params) + ")" : "";
      return "EC " + ec.getParams().getCurve().getField().getFieldSize() + " bits" + name;
    }
    return key.getAlgorithm();
  }
}
