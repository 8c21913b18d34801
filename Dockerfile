# inkflow's API as a container image, with the SPA's static build beside it.
#
#   docker build -t inkflow .
#   docker run -d --name inkflow -p 8787:8787 -v inkflow-data:/data inkflow
#
# The image runs `node dist/main.js` as PID 1 (no shell, no package manager in between), so
# `docker stop`'s SIGTERM reaches the API and its graceful stop runs: no new jobs, running
# jobs checkpointed, streams told to reconnect. Its SQLite store is on the /data volume; the
# same image runs every role of redis mode (compose.yaml). docs/deploy.md tells the rest.

# The base images are arguments only so that machines without an image registry can build
# on Debian-assembled equivalents (.ci/container-bases.sh); the defaults are the public ones.
ARG BUILD_IMAGE=node:20-bookworm
ARG RUNTIME_IMAGE=node:20-bookworm-slim

FROM ${BUILD_IMAGE} AS build
# Behind a TLS-inspecting proxy: the path of its CA bundle, mounted read-only into the build
# (`--volume /etc/ssl/certs:/etc/ssl/certs:ro`). It is used while building, never copied.
ARG NODE_EXTRA_CA_CERTS
# better-sqlite3 compiles against this Node's own headers when no prebuilt binary can be fetched.
ENV npm_config_nodedir=/usr/local
RUN npm install --global --no-fund --no-audit pnpm@10.34.9
WORKDIR /src
# Manifests first: the install layer (and its compiled addon) is reused until one changes.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY packages/shared/package.json packages/shared/
COPY packages/llm-stub/package.json packages/llm-stub/
COPY bench/package.json bench/
RUN pnpm install --frozen-lockfile --filter '@inkflow/api...' --filter '@inkflow/web...'
COPY . .
# The build, then the production install (`pnpm deploy --prod`, as docs/deploy.md gives it),
# less better-sqlite3's sources and build leftovers: only its compiled addon is loaded.
RUN pnpm --filter '@inkflow/api...' --filter '@inkflow/web' run build \
 && pnpm --filter @inkflow/api deploy --prod /out/api \
 && cd /out/api/node_modules/.pnpm/better-sqlite3@*/node_modules/better-sqlite3 \
 && rm -rf deps src build/deps build/Release/obj* build/Release/.deps build/Release/*.a \
    build/Release/test_extension.node

FROM ${RUNTIME_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    STORE_URL=sqlite:/data/inkflow.db
WORKDIR /app
# Owned by root and read-only to the user the API runs as; only /data is writable.
COPY --from=build /out/api /app
# The SPA's static files, for a web server or a CDN to serve (compose.yaml's nginx does).
COPY --from=build /src/apps/web/dist /app/web
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8787
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/main.js"]
