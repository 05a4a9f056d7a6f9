import { runDbContract } from './db.contract.js';
import { createTestDb, testDbKind } from './testing.js';

runDbContract(testDbKind(), createTestDb);
