# syntax=docker/dockerfile:1.7
#
# One recipe for every service under services/ (index-calculator, gateway, corporate-actions, and
# cli for the one-off `indexflow admin init`):
#
#   docker build --build-arg SERVICE=index-calculator --build-arg HEALTH_PORT=9464 -t indexflow/index-calculator .
#
# Why a workspace image and not `pnpm deploy`: the packages find their data relative to their own
# files (packages/kafka reads ../../../schemas/*.avsc, packages/seed-indices its sample/), so the
# image keeps the repository's layout. Each package runs from its compiled `dist/` (`pnpm build`,
# plain node, no TypeScript loader at run time).

ARG BUILD_IMAGE=node:20-bookworm-slim
# Debian 12 like the build image; `nonroot` runs as uid/gid 65532 and has no shell or package manager.
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot

# --- deps: the lockfile's packages, cached until pnpm-lock.yaml changes -------------------------
FROM ${BUILD_IMAGE} AS deps
ENV PNPM_HOME=/pnpm CI=true
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
# Compiler and -dev packages for the native Kafka client, which `pnpm install` compiles in the build
# stage (librdkafka linked against Debian's libraries). Build stages only: the runtime gets the
# shared libraries alone (see /native-libs below).
COPY scripts/native-kafka-build.sh scripts/
RUN bash scripts/native-kafka-build.sh install && rm -rf /var/lib/apt/lists/*
# corepack installs the pnpm version pinned in package.json's packageManager.
RUN corepack enable && corepack install
# fetch already runs the native client's build script, so it needs the build settings too.
RUN --mount=type=cache,id=indexflow-pnpm-store,target=/pnpm/store \
    eval "$(bash scripts/native-kafka-build.sh env)" \
 && pnpm fetch --store-dir /pnpm/store

# --- compile: `pnpm build` (esbuild, pinned by the lockfile as a root devDependency) -----------
# Without the type declarations: nothing in the image type-checks against them, and this stage
# installs the root's tools only, not the packages' dependencies whose types they name.
FROM deps AS compile
COPY . .
RUN --mount=type=cache,id=indexflow-pnpm-store,target=/pnpm/store \
    pnpm install --offline --frozen-lockfile --ignore-scripts --store-dir /pnpm/store --filter indexflow \
 && node scripts/build.mjs --no-declarations \
 && find packages services -mindepth 2 -maxdepth 2 -type d -name dist -print0 | tar -cf /dist.tar --null -T -

# --- build: the service and the workspace packages it depends on, production dependencies only ---
FROM deps AS build
ARG SERVICE
RUN test -n "${SERVICE}" || { echo 'build with --build-arg SERVICE=<directory under services/>' >&2; exit 1; }
COPY . .
RUN test -f "services/${SERVICE}/src/main.ts" || { echo "services/${SERVICE}/src/main.ts does not exist" >&2; exit 1; }
RUN --mount=type=cache,id=indexflow-pnpm-store,target=/pnpm/store \
    eval "$(bash scripts/native-kafka-build.sh env)" \
 && pnpm install --offline --frozen-lockfile --prod --store-dir /pnpm/store --filter "{services/${SERVICE}}..."
# The shared libraries the native Kafka client loads that the distroless runtime may lack (libsasl2,
# libzstd, liblz4, libcurl and what they pull in), at their own paths. glibc, libstdc++ and libgcc
# are the runtime's own. Empty when the client was not built (KAFKA_CLIENT=kafkajs still works).
RUN mkdir -p /native-libs \
 && find node_modules/.pnpm -path '*kafka-javascript/build/*' \( -name '*.node' -o -name '*.so.*' \) -exec ldd {} + \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | grep -v node_modules \
  | grep -vE '/(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|ld-linux-[^/]*)\.so' \
  | sort -u | xargs -r cp -L --parents -t /native-libs
# The compiled packages and services, beside their sources (data paths are relative to them).
COPY --from=compile /dist.tar /tmp/dist.tar
RUN tar -xf /tmp/dist.tar && rm /tmp/dist.tar \
 && test -f "services/${SERVICE}/dist/main.js"
# Other services are not needed in this image.
RUN find services -mindepth 1 -maxdepth 1 ! -name "${SERVICE}" -exec rm -rf {} +
# The entry point runs distroless's /nodejs/bin/node. A runtime image that keeps node elsewhere
# (a Debian base: --build-arg RUNTIME_NODE=/usr/bin/node) gets a link there; empty otherwise.
ARG RUNTIME_NODE=/nodejs/bin/node
RUN mkdir -p /node-link \
 && if [ "${RUNTIME_NODE}" != /nodejs/bin/node ]; then \
      mkdir -p /node-link/nodejs/bin && ln -s "${RUNTIME_NODE}" /node-link/nodejs/bin/node; \
    fi

# --- runtime -------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime
ARG SERVICE
# The port of the service's ops server (/healthz): HTTP_PORT 9464 for the calculator, HTTP_PORT
# 9465 for corporate-actions, OPS_PORT 9465 for the gateway.
ARG HEALTH_PORT=9464
LABEL org.opencontainers.image.title="indexflow-${SERVICE}"
ENV NODE_ENV=production \
    HEALTHCHECK_URL="http://127.0.0.1:${HEALTH_PORT}/healthz"
# Owned by root and read-only for the service user: the process cannot change its own code.
COPY --from=build /app /app
COPY --from=build /native-libs/ /
COPY --from=build /node-link/ /
WORKDIR /app/services/${SERVICE}
USER 65532:65532
EXPOSE ${HEALTH_PORT}
# No curl in distroless: Node's own fetch asks the ops server.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["/nodejs/bin/node", "-e", "fetch(process.env.HEALTHCHECK_URL).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The compiled service; stack traces point into the TypeScript sources through the source maps.
ENTRYPOINT ["/nodejs/bin/node", "--enable-source-maps"]
CMD ["dist/main.js"]
