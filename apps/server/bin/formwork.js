#!/usr/bin/env node
import '../dist/formwork.js';
