# The service image: the API by default, or a worker with the command
# ["node", "--import", "tsx", "workers/main.ts"]. Node itself is the container's first process, with no
# npm or shell in between, so `docker stop` (SIGTERM) reaches the service and it shuts down gracefully.
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENV NODE_ENV=production PORT=3000
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/server.ts"]
