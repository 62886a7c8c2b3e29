/** The NATS users of nats.conf, one per role. */
export const NATS_ROLES = ['web', 'ingestor', 'projector', 'operator', 'subscriber'] as const;
export type NatsRole = (typeof NATS_ROLES)[number];

/** Environment variable nats.conf reads each role's password from. */
export function natsPasswordVariable(role: NatsRole): string {
  return `SYMBOLOGY_NATS_${role.toUpperCase()}_PASSWORD`;
}

/**
 * Development password of a role, used by the launcher and tests when no password is configured.
 * Production sets every SYMBOLOGY_NATS_*_PASSWORD (and the services' NATS_PASSWORD) explicitly.
 */
export function devNatsPassword(role: NatsRole): string {
  return `${role}-dev-password`;
}
