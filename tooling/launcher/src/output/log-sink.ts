/** Who a line of output is from: the launcher itself, a build, or one of the processes it runs. */
export type Source = 'launcher' | 'build' | 'nats' | 'postgres' | 'mirror' | 'projector' | 'ingestor' | 'web';

/** Where the launcher sends every line: a terminal for npm start, files for the e2e tests. */
export type LogSink = (source: Source, line: string) => void;
