import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import regexp from "eslint-plugin-regexp";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "test-results/**", "bench/out/**", "public/**", "scratch/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // parsers/ runs in Node and in Web Workers: it must never reach into the UI or the DOM.
    files: ["parsers/**/*.ts"],
    ignores: ["parsers/**/*.test.ts", "parsers/testing/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/web/**", "../web/*", "../../web/*"], message: "parsers/ must not import web/." },
            {
              group: ["react", "react-dom", "d3", "zustand", "node:*", "fs", "path"],
              message: "parsers/ runs in workers: no UI or Node-only modules.",
            },
          ],
        },
      ],
    },
  },
  {
    // Log lines are hostile input: a regular expression that backtracks super-linearly (a greedy
    // run retried from every position, two quantifiers over the same characters) costs minutes
    // on one long line. Checked statically, on every pattern that reads log text.
    files: ["parsers/**/*.ts", "web/**/*.ts", "web/**/*.tsx", "cli/**/*.ts"],
    ignores: ["**/*.test.ts", "parsers/testing/**"],
    plugins: { regexp },
    rules: {
      "regexp/no-super-linear-backtracking": "error",
      "regexp/no-super-linear-move": "error",
    },
  },
);
