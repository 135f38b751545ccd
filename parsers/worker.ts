/// <reference lib="webworker" />
import { expose } from "comlink";
import { ParserApi } from "./workerApi.ts";

// The Web Worker entry: the page talks to one ParserApi through comlink.
expose(new ParserApi());
