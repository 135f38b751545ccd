import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["parsers/**/*.test.ts", "cli/**/*.test.ts", "web/**/*.test.ts", "bench/**/*.test.ts"],
    environment: "node",
    testTimeout: 30000,
  },
});
