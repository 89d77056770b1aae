package org.mailtls.cli.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.ConnectionAssessment;

/**
 * The {@code --json} rendering of a {@link ProbeResult}: the same facts as the table, with stable
 * keys for scripts. Absent facts are {@code null}, never left out, so a script can tell "not
 * negotiated" from "not reported". Field order is fixed.
 */
public final class JsonReport {
  private JsonReport() {}

  /** The whole report as one JSON document. */
  public static String render(ProbeResult r) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("target", target(r.request()));
    root.put("engine", r.request().engine().name());
    root.put("meetsPolicy", r.meetsPolicy());
    root.put("exitStatus", r.exitStatus());
    root.put("referenceIdentities", r.references());
    root.put("connection", connection(r.main()));
    root.put("identity", identity(IdentityFacts.of(r.main(), r.references())));
    root.put("verdicts", r.verdicts().stream().map(JsonReport::verdict).toList());
    root.put("implicitTls", r.implicitTls().map(JsonReport::connection).orElse(null));
    return Json.write(root);
  }

  /** The document printed with {@code --json} when the probe could not run (exit status 2). */
  public static String error(String message) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("error", message);
    root.put("meetsPolicy", false);
    root.put("exitStatus", 2);
    return Json.write(root);
  }

  private static Map<String, Object> target(ProbeRequest q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", q.host());
    m.put("port", q.port());
    m.put("service", q.service().label());
    m.put("starttls", q.startTls());
    m.put("email", q.email().orElse(null));
    return m;
  }

  private static Map<String, Object> connection(Handshake h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", h.host());
    m.put("port", h.port());
    m.put("service", h.service().label());
    m.put("established", h.completed());
    m.put("failure", h.failure().orElse(null));
    m.put("capabilitiesBeforeTls", h.beforeTls().map(c -> c.advertised().stream().map(Text::printable).toList())
        .orElse(null));
    m.put("version", h.protocol().orElse(null));
    m.put("cipherSuite", h.cipherSuite().orElse(null));
    m.put("group", h.group().orElse(null));
    m.put("confidentiality", h.assessment().map(JsonReport::assessment).orElse(null));
    List<Object> chain = new ArrayList<>();
    for (CertificateInfo c : h.chain()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("subject", c.subject());
      cm.put("issuer", c.issuer());
      cm.put("keyType", c.keyType());
      cm.put("keyBits", c.keyBits());
      cm.put("key", c.keyDetail());
      cm.put("signatureAlgorithm", c.signatureAlgorithm());
      cm.put("notBefore", c.notBefore());
      cm.put("notAfter", c.notAfter());
      cm.put("sha256", c.sha256());
      chain.add(cm);
    }
    m.put("chain", chain);
    return m;
  }

  private static Map<String, Object> assessment(ConnectionAssessment a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("level", a.level().name());
    m.put("confidential", a.isConfidential());
    m.put("shortfalls", a.shortfalls().stream().map(Text::printable).toList());
    return m;
  }

  private static Map<String, Object> identity(IdentityFacts f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verified", f.verified());
    m.put("expected", f.expected());
    m.put("matchedReference", orNull(f.matchedReference()));
    m.put("matchedPresented", orNull(f.matchedPresented()));
    m.put("matchKind", orNull(f.matchKind()));
    m.put("presented", f.presented());
    m.put("ignored", f.ignored());
    m.put("rule", orNull(f.rule()));
    m.put("explanation", orNull(f.explanation()));
    return m;
  }

  private static Map<String, Object> verdict(Verdict v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", v.id());
    m.put("check", v.title());
    m.put("rule", v.rule());
    m.put("status", v.status().name());
    m.put("required", v.required());
    m.put("detail", v.detail());
    return m;
  }

  private static @Nullable String orNull(Optional<String> o) {
    return o.orElse(null);
  }
}
