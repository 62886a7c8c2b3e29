// The first module of a worker thread that runs TypeScript source (tsx given with --import; see
// start-worker.ts): tsx's require hook works in a worker thread where its ESM hooks do not (Node
// 20), and this is how piscina loads its task modules too. argv[2]: the source file's path.
import { createRequire } from 'node:module';

createRequire(import.meta.url)(process.argv[2]);
