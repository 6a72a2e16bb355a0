import { afterAll, beforeAll, beforeEach } from "vitest";
import { echoBehavior, startMockServer, type MockServer } from "./mock-server.js";

/**
 * One mock server for a test file: started before its tests, closed after, and its request log and behaviour reset
 * before each test. The returned object is filled in once the server is up.
 */
export function useMockServer(): MockServer {
  const mock = {} as MockServer;
  beforeAll(async () => {
    Object.assign(mock, await startMockServer());
  });
  afterAll(async () => {
    await mock.close();
  });
  beforeEach(() => {
    mock.requests.length = 0;
    mock.setBehavior(echoBehavior);
  });
  return mock;
}
