/** Run manifests in S3, under manifestKey() in MANIFEST_BUCKET. */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ManifestStore } from "../ports";

export class S3ManifestStore implements ManifestStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: string): Promise<string> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: "application/json" }));
    return `s3://${this.bucket}/${key}`;
  }
}
