package org.mailtls.policy.limbo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One x509-limbo testcase, bound from {@code limbo.json} (format version 1). Only the fields the
 * harness uses are bound; the rest (signature_algorithms, key_usage, crls, ...) are ignored.
 *
 * <p>The 41 MB file is streamed: {@link #forEach} binds one testcase at a time, so at most a few
 * cases are in memory at once.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record LimboCase(
    @JsonProperty("id") String id,
    @JsonProperty("features") @Nullable List<String> features,
    @JsonProperty("description") @Nullable String description,
    @JsonProperty("validation_kind") String validationKind,
    @JsonProperty("trusted_certs") @Nullable List<String> trustedCerts,
    @JsonProperty("untrusted_intermediates") @Nullable List<String> untrustedIntermediates,
    @JsonProperty("peer_certificate") String peerCertificate,
    @JsonProperty("validation_time") @Nullable String validationTime,
    @JsonProperty("extended_key_usage") @Nullable List<String> extendedKeyUsage,
    @JsonProperty("expected_result") String expectedResult,
    @JsonProperty("expected_peer_name") @Nullable PeerName expectedPeerName,
    @JsonProperty("max_chain_depth") @Nullable Integer maxChainDepth) {

  /** The only format version this reader understands. */
  static final int FORMAT_VERSION = 1;

  /** {@code expected_peer_name}: kind is DNS, IP or RFC822. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record PeerName(@JsonProperty("kind") String kind, @JsonProperty("value") String value) {}

  /** The first two {@code ::} segments of the id, e.g. {@code webpki::san}. */
  String group() {
    return groupOf(id);
  }

  static String groupOf(String id) {
    int first = id.indexOf("::");
    if (first < 0) {
      return id;
    }
    int second = id.indexOf("::", first + 2);
    return second < 0 ? id : id.substring(0, second);
  }

  List<String> trusted() {
    return trustedCerts == null ? List.of() : trustedCerts;
  }

  List<String> intermediates() {
    return untrustedIntermediates == null ? List.of() : untrustedIntermediates;
  }

  boolean expectsSuccess() {
    return "SUCCESS".equals(expectedResult);
  }

  /**
   * Streams every testcase of {@code file} to {@code sink}, in file order, and returns how many
   * were read.
   *
   * @throws IOException if the file cannot be read or is not a version-1 limbo file
   */
  static int forEach(Path file, Consumer<LimboCase> sink) throws IOException {
    ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    int count = 0;
    boolean sawCases = false;
    try (JsonParser p = mapper.getFactory().createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException(file + ": not a JSON object at top level");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("version".equals(field)) {
          if (value != JsonToken.VALUE_NUMBER_INT || p.getIntValue() != FORMAT_VERSION) {
            throw new IOException(file + ": unsupported limbo format version " + p.getText());
          }
        } else if ("testcases".equals(field)) {
          if (value != JsonToken.START_ARRAY) {
            throw new IOException(file + ": \"testcases\" is not an array");
          }
          sawCases = true;
          while (p.nextToken() == JsonToken.START_OBJECT) {
            sink.accept(mapper.readValue(p, LimboCase.class));
            count++;
          }
        } else {
          p.skipChildren();
        }
      }
    }
    if (!sawCases) {
      throw new IOException(file + ": no \"testcases\" array");
    }
    return count;
  }
}
