// A parse thread that cannot start (as when its modules fail to load): for cli/parallel.test.ts.
throw new Error("this parse thread does not start");
