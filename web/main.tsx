import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import "./app.css";
import { takeEmbedded } from "./share/embedded.ts";

// Before the first render: the snapshot data (if any) and, in the single-file viewer, its HTML.
takeEmbedded();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
