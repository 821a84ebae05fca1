/** Run manifests in S3, under manifestKey() in MANIFEST_BUCKET. */
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ManifestStore } from "../ports";
import { errorName } from "./values";

/**
 * A missing object: NoSuchKey, or AccessDenied, which S3 answers instead when the caller may not
 * list the bucket (the coordinator may only get and put objects under manifests/).
 */
const ABSENT = new Set(["NoSuchKey", "NotFound", "AccessDenied"]);

export class S3ManifestStore implements ManifestStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: string): Promise<string> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: "application/json" }));
    return `s3://${this.bucket}/${key}`;
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await res.Body?.transformToString("utf-8");
    } catch (error) {
      if (ABSENT.has(errorName(error))) return undefined;
      throw error;
    }
  }
}
