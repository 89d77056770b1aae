#!/usr/bin/env bash
# Runs the whole MailTLS JMH suite with the settings that converge on this machine kind
# (../shared/research/engine-performance.md) and writes everything under
# benchmarks/target/results/<jdk>-<time>/:
#   *.json            JMH results (-rf json), one file per group
#   *.log             JMH's human-readable output, including the [sanity] lines of every @Setup
#   context-footprint.md   retained / allocated memory per account context (ContextFootprint)
#   summary.md        the tables of docs/performance.md, computed by org.mailtls.benchmarks.Report
#   env.txt           machine, JDK and load average before and after
#
# Usage:  benchmarks/run.sh            full run on the JDK on PATH (JDK 17 here)
#         JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/run.sh   the same on another JDK
#         benchmarks/run.sh --smoke    every benchmark once, 1 s, no warm-up (checks, not numbers)
#         benchmarks/run.sh --only micro,handshake-1,resumption --key EC_P256   a subset, same settings
#         taskset -c 1 benchmarks/run.sh   on one core while the other does something else
#
# The full run takes about 1 h 50 min per JDK on 2 cores (see docs/performance.md); run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
jar="$root/benchmarks/target/benchmarks.jar"

usage() {
  echo "usage: $0 [--smoke] [--only GROUP,...] [--key EC_P256|RSA_2048]   (JAVA_HOME selects the JDK)" >&2
  echo "  groups: micro handshake-1 handshake-2 handshake-3 resumption trust-decision server-sni footprint" >&2
  exit 2
}
smoke=false
only=""
keys=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=true ;;
    --only) [ $# -ge 2 ] || usage; only=",$2,"; shift ;;
    --key) [ $# -ge 2 ] || usage; keys=(-p "key=$2"); shift ;;
    *) usage ;;
  esac
  shift
done
# wanted <group>: true when no --only was given or the group is in it
wanted() { [ -z "$only" ] || [[ "$only" == *",$1,"* ]]; }

java_bin="java"
if [ -n "${JAVA_HOME:-}" ]; then
  java_bin="$JAVA_HOME/bin/java"
fi

# Build the jar when it is missing or older than any source or POM it is made from. The build uses
# Maven's own JDK (JAVA_HOME is only for running): the jar targets Java 17 and runs on any newer JDK.
needs_build=false
if [ ! -f "$jar" ]; then
  needs_build=true
elif [ -n "$(find pom.xml benchmarks provider policy testing -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print -quit)" ]; then
  needs_build=true
fi
if $needs_build; then
  echo "== building $jar"
  (unset JAVA_HOME; mvn -B -ntp -q -pl benchmarks -am package -DskipTests)
fi

jdk="$("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}' | tr -c 'A-Za-z0-9.+\n-' '_')"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$root/benchmarks/target/results/jdk-${jdk}-${stamp}$($smoke && echo -smoke || true)"
mkdir -p "$out"

heap=(-jvmArgs "-Xms2g -Xmx2g")
if $smoke; then
  handshake_opts=(-f 1 -wi 0 -i 1 -w 1s -r 1s -prof gc)
  micro_opts=(-f 1 -wi 0 -i 1 -w 1s -r 1s -prof gc)
else
  handshake_opts=(-f 3 -wi 10 -w 3s -i 10 -r 2s -prof gc)
  micro_opts=(-f 1 -wi 3 -w 2s -i 8 -r 1s -prof gc)
fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "host: $(uname -srm), $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cpu affinity: $(taskset -cp $$ 2>/dev/null | sed 's/.*: //') (of $(nproc --all) CPUs; the JVMs see $(nproc))"
  echo "java: $java_bin"
  "$java_bin" -version 2>&1 | sed 's/^/  /'
  echo "handshake settings: ${handshake_opts[*]} ${heap[*]}"
  echo "micro settings: ${micro_opts[*]} ${heap[*]}"
} > "$out/env.txt"
cat "$out/env.txt"

failures=0
# run <name> <JMH options...>: one JMH invocation, JSON into $out/<name>.json, output into $out/<name>.log
run() {
  local name="$1"
  shift
  if ! wanted "$name"; then
    return 0
  fi
  echo "== $name: $*"
  if ! "$java_bin" -jar "$jar" "$@" "${heap[@]}" -rf json -rff "$out/$name.json" 2>&1 | tee "$out/$name.log"; then
    echo "!! $name: JMH exited with an error (see $out/$name.log)" >&2
    failures=$((failures + 1))
  elif grep -q '<failure>' "$out/$name.log"; then
    echo "!! $name: a benchmark failed (see <failure> in $out/$name.log)" >&2
    failures=$((failures + 1))
  fi
}

# Micro-benchmarks first: short, and the crypto floor feeds the handshake tables.
run micro '\.(CryptoFloorBenchmark|ContextBenchmark|IdentityMatchBenchmark|PinLookupBenchmark|ChainDecisionBenchmark)\.' "${micro_opts[@]}"

# Full handshakes. BCJSSE over JDK crypto cannot do TLS 1.3 with an RSA certificate (no RSA-PSS):
# RAW_BCJSSE_JCA runs without that one combination, which its @Setup would refuse.
run handshake-1 '\.HandshakeBenchmark\.' "${handshake_opts[@]}" "${keys[@]}" \
  -p variant=MAILTLS_BCJSSE,MAILTLS_SUNJSSE,RAW_BCJSSE_BCPROV,RAW_SUNJSSE
run handshake-2 '\.HandshakeBenchmark\.' "${handshake_opts[@]}" "${keys[@]}" -p variant=RAW_BCJSSE_JCA -p protocol=TLSv1.2
run handshake-3 '\.HandshakeBenchmark\.' "${handshake_opts[@]}" -p variant=RAW_BCJSSE_JCA -p protocol=TLSv1.3 \
  -p key=EC_P256

run resumption '\.ResumptionBenchmark\.' "${handshake_opts[@]}"
run trust-decision '\.TrustDecisionBenchmark\.' "${handshake_opts[@]}"
run server-sni '\.ServerSniBenchmark\.' "${handshake_opts[@]}"

if wanted footprint; then
  echo "== context footprint"
  "$java_bin" -Xms2g -Xmx2g -cp "$jar" org.mailtls.benchmarks.ContextFootprint $($smoke && echo 100 || true) \
    | tee "$out/context-footprint.md"
fi

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/env.txt"
footprint=()
if [ -f "$out/context-footprint.md" ]; then footprint=("$out/context-footprint.md"); fi
"$java_bin" -cp "$jar" org.mailtls.benchmarks.Report "$out"/*.json "${footprint[@]}" > "$out/summary.md"
echo "== summary: $out/summary.md"
cat "$out/summary.md"
if [ "$failures" -gt 0 ]; then
  echo "!! $failures group(s) had failing benchmarks; their rows are missing from the summary" >&2
  exit 1
fi
