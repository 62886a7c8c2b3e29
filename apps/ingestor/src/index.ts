export { startIngestor, IngestorStartError, type Ingestor } from './ingestor';
export { configFromEnv, type IngestorConfig } from './config';
export { parseEnv, EnvError, type Env } from './env';
