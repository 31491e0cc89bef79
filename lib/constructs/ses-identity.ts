import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** `arn:<partition>:ses:<region>:<account>:identity/<identity>` in the stack's account and region. */
export function sesIdentityArn(scope: Construct, identity: string): string {
  return Stack.of(scope).formatArn({
    service: 'ses',
    resource: 'identity',
    resourceName: identity,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * The identity ARNs a function sending as `sender` must be allowed: the configured identity (a domain or an
 * address), the sender address itself (SES authorizes the address's own identity when the address is verified
 * on its own), and, while the account is in the SES sandbox, every recipient, since SES then authorizes the
 * recipients' identities too. Duplicates are dropped; never a wildcard.
 */
export function sendingIdentityArns(
  scope: Construct,
  options: { identity: string; sender: string; sandboxRecipients?: readonly string[] },
): string[] {
  const identities = [options.identity, options.sender, ...(options.sandboxRecipients ?? [])];
  return [...new Set(identities.map((i) => i.trim()).filter(Boolean))].map((i) => sesIdentityArn(scope, i));
}
