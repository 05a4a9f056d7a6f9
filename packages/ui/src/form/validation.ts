/**
 * The form's validator: the server's (`compileEntity(...).validate`, Ajv with zh/en messages) and its
 * cross-field rules. Imported lazily by the runtime (`loadValidation`), so Ajv is not part of the JavaScript
 * needed to open a form.
 */
export { checkRules, compileEntity } from '@formwork/metadata';
