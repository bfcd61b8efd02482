# Production image of the LiveClassroom server (web UI included). Built by docker-compose.yml.
FROM node:22-bookworm-slim AS web
WORKDIR /src/src/LiveClassroom.Web
COPY src/LiveClassroom.Web/ ./
RUN if [ -f package.json ]; then npm ci --no-audit --no-fund && npm run build; else mkdir -p ../LiveClassroom.Server/wwwroot; fi

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
COPY --from=web /src/src/LiveClassroom.Server/wwwroot/ src/LiveClassroom.Server/wwwroot/
RUN dotnet publish src/LiveClassroom.Server -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
ENV LIVECLASSROOM_URLS=http://0.0.0.0:8080
EXPOSE 8080 40000/udp 40000/tcp
USER app
ENTRYPOINT ["dotnet", "LiveClassroom.Server.dll"]
