/** Event factories for handler tests. */
import type { S3Event } from 'aws-lambda';

/** An S3 ObjectCreated event as S3 delivers it (the key URL-encoded by the caller when it needs to be). */
export const s3Event = (key: string, versionId = 'v1', bucket = 'exports-bucket'): S3Event => ({
  Records: [{
    eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventTime: '2026-11-01T00:00:00.000Z',
    eventName: 'ObjectCreated:Put', userIdentity: { principalId: 'x' }, requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'i' },
    s3: {
      s3SchemaVersion: '1.0', configurationId: 'c',
      bucket: { name: bucket, ownerIdentity: { principalId: 'o' }, arn: `arn:aws:s3:::${bucket}` },
      object: { key, size: 10, eTag: 'e', versionId, sequencer: '1' },
    },
  }],
});
