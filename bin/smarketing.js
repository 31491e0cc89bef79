#!/usr/bin/env node
// Runs the TypeScript CLI without a build step, through tsx's loader.
import { register } from 'tsx/esm/api';

// The SDK warns on every run that releases after January 2027 need Node 22; the lockfile pins a release that works on 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('./smarketing.ts');
