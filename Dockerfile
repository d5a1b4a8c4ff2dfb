# One image for every service; the command picks the service:
#   docker run IMAGE service gateway --venue binanceusdm
# Build: docker build -t perpetua .   (docker-compose.yml and k8s/ use this image)

# Pinned: Node 20 LTS on Debian bookworm (the engines field needs >= 20.19).
ARG NODE_IMAGE=node:20.19.5-bookworm-slim

# Stage 1: install everything, bundle (npm run build -> dist/perpetua.js), then
# reinstall with production dependencies only. Install scripts stay off: no
# runtime dependency needs one, and the dev tools' (ssh2, cpu-features) would
# want a compiler the slim image does not have.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY bin ./bin
COPY cli ./cli
COPY libs ./libs
COPY services ./services
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npm run build \
 && npm ci --no-audit --no-fund --ignore-scripts --omit=dev --omit=optional \
 && rm -rf node_modules/@perpetua

# Stage 2: the bundle, production node_modules and package.json ("type": "module"), nothing else.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PERPETUA_TELEMETRY__HTTP_HOST=0.0.0.0 \
    PERPETUA_TELEMETRY__HTTP_PORT=9464
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
# The official image's unprivileged user (uid 1000); nothing in /app is writable by it.
USER node
EXPOSE 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PERPETUA_TELEMETRY__HTTP_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/perpetua.js"]
CMD ["service", "risk"]
