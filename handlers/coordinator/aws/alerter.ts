/** Alerts to the lake's SNS topic. */
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Alerter } from "../ports";

export class SnsAlerter implements Alerter {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(subject: string, message: string): Promise<void> {
    await this.client.send(new PublishCommand({ TopicArn: this.topicArn, Subject: subject, Message: message }));
  }
}
