import { defineConfig } from 'vitest/config';
import { packageConfig } from '../../vitest.shared';

export default defineConfig(packageConfig(import.meta.dirname));
