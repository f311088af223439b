// Which token a request carried, without carrying the token: a rejection (401/403) names the token it is about by
// this fingerprint, so a rejection of a token that was replaced meanwhile is not taken for one of the new token.
import { createHash } from 'node:crypto';
import { credentialAsSent } from './credentialText';

/**
 * A short, one-way fingerprint of a token, of the token as it is sent (the client cleans what it sends, cleanCredential;
 * the token manager keeps what was stored), to compare in memory which token two things are about. It is no protection
 * of the token: unsalted and fast, it lets guesses be tested offline in microseconds each, so a short or patterned token
 * is found from it in well under a second. Never write it anywhere (disk, workspace state, logs).
 */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(`contexten-token:${credentialAsSent(token)}`).digest('hex').slice(0, 12);
}
