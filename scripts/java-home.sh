# Sourced by ./backstop and .ci/run: makes JAVA_HOME point at a Java >= 21.
# backstop_select_jdk needs a JDK (javac: to build); backstop_select_java is
# content with a runtime (java: to run the built jar, as on a JRE image).
# Each keeps a JAVA_HOME that is already good; otherwise it takes the newest
# one found under /usr/lib/jvm or on the PATH.

backstop_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

# backstop_select TOOL: a JAVA_HOME >= 21 whose bin/ holds TOOL (javac or java).
backstop_select() {
  local tool="$1"
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/$tool" ] &&
    [ "$(backstop_java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  local best="" best_major=0 candidate major
  for candidate in /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v "$tool" 2>/dev/null || echo /nonexistent)")")")"; do
    [ -x "$candidate/bin/$tool" ] || continue
    major=$(backstop_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    if [ "$tool" = javac ]; then
      echo "backstop: no JDK >= 21 found; install one and set JAVA_HOME" >&2
    else
      echo "backstop: no Java >= 21 found; install one and set JAVA_HOME" >&2
    fi
    return 1
  fi
  export JAVA_HOME="$best"
}

backstop_select_jdk() {
  backstop_select javac
}

backstop_select_java() {
  backstop_select java
}
