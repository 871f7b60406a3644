// Starting and seeding MLflow takes tens of seconds; this guards against hangs and asserts no speed.
jest.setTimeout(300_000);
