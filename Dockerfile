# syntax=docker/dockerfile:1
# The images service as a container: built with Maven on a JDK 21, run on a JRE 21 as a non-root
# user. The same ports, environment variables and health endpoints as bin/cluster's instances
# (docs/DEPLOY.md).

FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:21-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl libvips-tools \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin images \
 && mkdir -p /app/data/media && chown -R images /app
WORKDIR /app
COPY --from=build /src/target/images.jar /app/images.jar
COPY bin/lib/cds.sh /app/cds.sh
USER 10001
# Listen on all interfaces inside the container; size the heap from the container's memory limit.
# Class data sharing as for bin/images (bin/lib/cds.sh): the first run records the classes it
# loads; the next start archives them in a JVM of its own before it starts the service (the two
# JVMs at once would not fit the pod's memory limit) and maps the archive. /tmp is an emptyDir in
# the pod, so the files survive container restarts; the JVM is PID 1 in each run.
ENV IMAGES_HOST=0.0.0.0 \
    IMAGES_PORT=8080 \
    IMAGES_CDS_DIR=/tmp \
    IMAGES_CDS_DUMP=before-start \
    IMAGES_JAVA_OPTS="-XX:+UseSerialGC -XX:MaxRAMPercentage=30 -Xss512k"
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/health/ready || exit 1
# exec: the JVM is PID 1 and gets SIGTERM itself, which starts the graceful drain.
ENTRYPOINT ["bash", "-c", ". /app/cds.sh; cds=(); [ \"${1:-}\" != serve ] || cds_options /app/images.jar $$; exec \"$JAVA_HOME/bin/java\" $IMAGES_JAVA_OPTS \"${cds[@]}\" -jar /app/images.jar \"$@\"", "images"]
CMD ["serve"]
