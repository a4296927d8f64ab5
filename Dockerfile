# Backstop's CLI in a container: built with the Maven wrapper on a JDK, run on a JRE.
#   docker build -t backstop .
#   docker run --rm -v "$PWD/out:/work/out" backstop simulate
# The entry point is the `backstop` launcher, so every command of the CLI runs as
# `docker run backstop COMMAND ...`, `serve` included:
#   docker run --rm -p 8080:8080 -v "$PWD/data:/work/backstop-data" backstop serve --host 0.0.0.0
# See docs/docker.md.

FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
# The wrapper and the POMs first, so the Maven download is cached while only sources change.
COPY mvnw ./
COPY .mvn .mvn
COPY pom.xml ./
COPY backstop-core/pom.xml backstop-core/
COPY backstop-json/pom.xml backstop-json/
COPY backstop-sim/pom.xml backstop-sim/
COPY backstop-server/pom.xml backstop-server/
COPY backstop-cluster/pom.xml backstop-cluster/
COPY backstop-cli/pom.xml backstop-cli/
COPY backstop-bench/pom.xml backstop-bench/
RUN ./mvnw -B -q --version
COPY backstop-core/src backstop-core/src
COPY backstop-json/src backstop-json/src
COPY backstop-sim/src backstop-sim/src
COPY backstop-server/src backstop-server/src
COPY backstop-cluster/src backstop-cluster/src
COPY backstop-cli/src backstop-cli/src
# The tests and the formatter check are ./mvnw -B verify's job, before an image is built.
RUN ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -Dmaven.javadoc.skip=true \
      -Dmaven.source.skip=true package -pl backstop-cli -am

FROM eclipse-temurin:21-jre
# The launcher finds the jar where a checkout has it, next to itself.
COPY backstop LICENSE /opt/backstop/
COPY scripts/java-home.sh /opt/backstop/scripts/
COPY examples /opt/backstop/examples
COPY --from=build /src/backstop-cli/target/backstop.jar /opt/backstop/backstop-cli/target/
RUN useradd --system --create-home --home-dir /work backstop \
    && chmod 0755 /opt/backstop/backstop
USER backstop
WORKDIR /work
EXPOSE 8080
ENTRYPOINT ["/opt/backstop/backstop"]
CMD ["--help"]
