import { defineConfig } from "vite";

// The server serves the built app from its wwwroot (git-ignored); scripts/lib.sh build_web runs this.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "../LiveClassroom.Server/wwwroot",
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:5080", "/hubs": { target: "http://127.0.0.1:5080", ws: true } },
  },
});
