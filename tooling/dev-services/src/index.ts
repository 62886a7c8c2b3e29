export * from './free-port';
export * from './nats-binary';
export * from './nats-cluster';
export * from './nats-server';
export * from './postgres';
export * from './service-process';
export * from './nats-ports';
export * from './port-clash';
