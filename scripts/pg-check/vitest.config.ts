import { defineConfig, mergeConfig } from "vitest/config";
import base from "../../vitest.config";
const merged = mergeConfig(base, defineConfig({}));
merged.test!.setupFiles = ["tests/setup/per-file.ts", "scripts/pg-check/capture.ts"];
export default merged;
