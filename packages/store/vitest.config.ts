import { defineConfig } from 'vitest/config';
import { packageConfig } from '../../vitest.shared.ts';

export default defineConfig(packageConfig(import.meta.dirname));
