/**
 * EventBridge "Object Created" under `incoming/` (every key: S3 notifications cannot overlap the five dataset
 * prefixes for one event type) → tell ops about a file outside every dataset folder. Keys inside a dataset folder
 * are ignored here: their validation function has them.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { notifyMisplacedUpload, type MisplacedOutcome } from '../use-cases/notify-misplaced-upload.ts';
import { CLAIM_LEASE_MARGIN_MS, lambdaHandler, type InvocationContext } from './middleware.ts';
import type { Runtime } from './runtime.ts';

/** The `detail` of S3's "Object Created" event on EventBridge (docs: "EventBridge event message structure"). */
export interface S3ObjectCreatedDetail {
  readonly version?: string;
  readonly bucket: { readonly name: string };
  readonly object: {
    /** As stored: unlike S3 event notifications, EventBridge does not URL-encode the key. */
    readonly key: string;
    readonly size?: number;
    readonly etag?: string;
    readonly 'version-id'?: string;
    readonly sequencer?: string;
  };
  readonly reason?: string;
}

export type ObjectCreatedEvent = EventBridgeEvent<'Object Created', S3ObjectCreatedDetail>;

async function notifyMisplaced(event: ObjectCreatedEvent, rt: Runtime, context: InvocationContext): Promise<MisplacedOutcome> {
  const { bucket, object } = event.detail;
  // A claim is stale once this invocation can no longer be running.
  const remaining = context.getRemainingTimeInMillis?.();
  const result = await notifyMisplacedUpload({
    bucket: bucket.name, key: object.key,
    ...(object['version-id'] ? { versionId: object['version-id'] } : {}),
    ...(object.sequencer ? { sequencer: object.sequencer } : {}),
    ...(object.etag ? { etag: object.etag } : {}),
  }, {
    notices: rt.table.uploads, mailer: rt.mailer, clock: rt.clock, settings: rt.settings,
    ...(remaining ? { claimLeaseMs: remaining + CLAIM_LEASE_MARGIN_MS } : {}),
  });
  // The key and what was done; never the address the notice went to.
  rt.logger.info('misplaced upload checked', {
    key: object.key, outcome: result.outcome,
    ...('reason' in result ? { reason: result.reason } : {}),
    ...('suggestedKey' in result && result.suggestedKey ? { suggestedKey: result.suggestedKey } : {}),
  });
  return result;
}

export const handler = lambdaHandler('notify-misplaced-upload', notifyMisplaced);
