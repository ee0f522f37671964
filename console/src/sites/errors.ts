import { ApiError } from '../api';

/**
 * The API's refusal spread over a form: each 422 cause goes to the form field whose API path is the
 * longest prefix of the cause's field (`spec.setNode.labels.site` → `spec.setNode.labels`); a
 * 409 AlreadyExists goes to the name; what names no field is the form's alert.
 */
export interface FormErrors {
  fields: Record<string, string>;
  general?: string;
}

export function spreadErrors(error: unknown, fieldPaths: readonly string[]): FormErrors {
  if (!(error instanceof ApiError))
    return { fields: {}, general: (error as Error)?.message ?? String(error) };
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  const place = (field: string, message: string) => {
    const normal = field.replace(/^metadata\.name$/, 'name').replace(/\[\d+\]/g, '');
    const target = [...fieldPaths]
      .sort((a, b) => b.length - a.length)
      .find((p) => normal === p || normal.startsWith(`${p}.`));
    if (!target) return false;
    fields[target] = fields[target] ? `${fields[target]}; ${message}` : message;
    return true;
  };
  for (const c of error.causes) {
    if (!c.field || !place(c.field, c.message ?? error.message)) unplaced.push(c.message ?? '');
  }
  if (error.reason === 'AlreadyExists' && fieldPaths.includes('name')) place('name', error.message);
  else if (!error.causes.length) {
    // the API's message names the field without a cause (`metadata.name: Required value: …`)
    const m = /^(metadata\.name|spec\.[\w.]+): (.+)$/.exec(error.message);
    if (!m || !place(m[1]!, m[2]!)) return { fields, general: error.message };
  }
  return { fields, ...(unplaced.length || !Object.keys(fields).length ? { general: error.message } : {}) };
}
