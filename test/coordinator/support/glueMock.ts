/**
 * moto 5.2.5 has no UpdateCrawler (it answers with an HTML 404 page), so that single call is
 * mocked with aws-sdk-client-mock; every other Glue call passes through to moto unchanged.
 * moto's crawls also never fail (they complete or, stopped, end STOPPED), so a test that needs a
 * FAILED last crawl mocks GetCrawler of that one crawler (`failLastCrawl`).
 */
import { GetCrawlerCommand, UpdateCrawlerCommand, type GlueClient, type UpdateCrawlerCommandInput } from "@aws-sdk/client-glue";
import { mockClient } from "aws-sdk-client-mock";

export interface UpdateCrawlerMock {
  /** Inputs of every UpdateCrawler call, in order. */
  calls(): UpdateCrawlerCommandInput[];
  /** From now on GetCrawler of this crawler says: READY, last crawl FAILED with this message. */
  failLastCrawl(crawlerName: string, message: string): void;
  restore(): void;
}

export function mockUpdateCrawler(glue: GlueClient): UpdateCrawlerMock {
  const mock = mockClient(glue);
  // Unmatched commands call the real send (to moto): sinon's callThrough on the stub.
  (mock.send as unknown as { callThrough(): void }).callThrough();
  mock.on(UpdateCrawlerCommand).resolves({});
  return {
    calls: () => mock.commandCalls(UpdateCrawlerCommand).map((c) => c.args[0].input),
    failLastCrawl: (crawlerName, message) => {
      mock
        .on(GetCrawlerCommand, { Name: crawlerName })
        .resolves({ Crawler: { Name: crawlerName, State: "READY", LastCrawl: { Status: "FAILED", ErrorMessage: message } } });
    },
    restore: () => mock.restore(),
  };
}
