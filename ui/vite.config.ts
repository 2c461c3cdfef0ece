import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri expects a fixed port and must see Rust errors, so Vite does not clear the screen.
export default defineConfig(({ command }) => ({
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ["**/src-tauri/**"] },
  },
  envPrefix: ["VITE_", "TAURI_"],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.4x (Linux), WKWebView (macOS 12+) and WebView2 all handle this.
    target: ["es2021", "safari15"],
    // No inline data: URIs, so the strict CSP never has to allow them.
    assetsInlineLimit: 0,
    sourcemap: command === "serve",
  },
}));
