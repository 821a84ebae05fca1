/**
 * moto 5.2.5 has no UpdateCrawler (it answers with an HTML 404 page), so that single call is
 * mocked with aws-sdk-client-mock; every other Glue call passes through to moto unchanged.
 */
import { UpdateCrawlerCommand, type GlueClient, type UpdateCrawlerCommandInput } from "@aws-sdk/client-glue";
import { mockClient } from "aws-sdk-client-mock";

export interface UpdateCrawlerMock {
  /** Inputs of every UpdateCrawler call, in order. */
  calls(): UpdateCrawlerCommandInput[];
  restore(): void;
}

export function mockUpdateCrawler(glue: GlueClient): UpdateCrawlerMock {
  const mock = mockClient(glue);
  // Unmatched commands call the real send (to moto): sinon's callThrough on the stub.
  (mock.send as unknown as { callThrough(): void }).callThrough();
  mock.on(UpdateCrawlerCommand).resolves({});
  return {
    calls: () => mock.commandCalls(UpdateCrawlerCommand).map((c) => c.args[0].input),
    restore: () => mock.restore(),
  };
}
