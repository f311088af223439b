// 422 bodies shaped like the live service's (FastAPI/pydantic): {detail: [{loc, msg, type}]}.

export interface Issue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export class Validator {
  readonly issues: Issue[] = [];

  /** An integer query/path parameter within bounds; `undefined` when absent (caller applies the default). */
  intParam(where: 'query' | 'path', name: string, raw: string | null | undefined, bounds: { min?: number; max?: number } = {}): number | undefined {
    if (raw === null || raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw.trim())) {
      this.issues.push({ loc: [where, name], msg: 'Input should be a valid integer, unable to parse string as an integer', type: 'int_parsing' });
      return undefined;
    }
    const v = Number(raw);
    if (bounds.min !== undefined && v < bounds.min) this.issues.push({ loc: [where, name], msg: `Input should be greater than or equal to ${bounds.min}`, type: 'greater_than_equal' });
    else if (bounds.max !== undefined && v > bounds.max) this.issues.push({ loc: [where, name], msg: `Input should be less than or equal to ${bounds.max}`, type: 'less_than_equal' });
    return v;
  }

  boolParam(name: string, raw: string | null): boolean | undefined {
    if (raw === null) return undefined;
    const v = raw.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    this.issues.push({ loc: ['query', name], msg: 'Input should be a valid boolean, unable to interpret input', type: 'bool_parsing' });
    return undefined;
  }

  enumParam<T extends string>(name: string, raw: string | null, values: readonly T[]): T | undefined {
    if (raw === null) return undefined;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    this.issues.push({ loc: ['query', name], msg: `Input should be ${values.map((v) => `'${v}'`).join(', ')}`, type: 'enum' });
    return undefined;
  }

  /** The JSON body as an object, or records why not. */
  bodyObject(text: string): Record<string, unknown> | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.issues.push({ loc: ['body', 0], msg: 'JSON decode error', type: 'json_invalid' });
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      this.issues.push({ loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', type: 'model_attributes_type' });
      return undefined;
    }
    return parsed as Record<string, unknown>;
  }

  requiredString(body: Record<string, unknown>, name: string): string | undefined {
    const v = body[name];
    if (v === undefined) this.issues.push({ loc: ['body', name], msg: 'Field required', type: 'missing' });
    else if (typeof v !== 'string') this.issues.push({ loc: ['body', name], msg: 'Input should be a valid string', type: 'string_type' });
    else return v;
    return undefined;
  }

  requiredInt(body: Record<string, unknown>, name: string): number | undefined {
    const v = body[name];
    if (v === undefined) this.issues.push({ loc: ['body', name], msg: 'Field required', type: 'missing' });
    else if (typeof v !== 'number' || !Number.isInteger(v)) this.issues.push({ loc: ['body', name], msg: 'Input should be a valid integer', type: 'int_type' });
    else return v;
    return undefined;
  }

  optionalString(body: Record<string, unknown>, name: string): string | undefined {
    const v = body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    this.issues.push({ loc: ['body', name], msg: 'Input should be a valid string', type: 'string_type' });
    return undefined;
  }

  optionalInt(body: Record<string, unknown>, name: string): number | undefined {
    const v = body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    this.issues.push({ loc: ['body', name], msg: 'Input should be a valid integer', type: 'int_type' });
    return undefined;
  }

  optionalObject(body: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
    const v = body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    this.issues.push({ loc: ['body', name], msg: 'Input should be a valid dictionary', type: 'dict_type' });
    return undefined;
  }

  optionalStringList(body: Record<string, unknown>, name: string): string[] | undefined {
    const v = body[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.issues.push({ loc: ['body', name], msg: 'Input should be a valid list', type: 'list_type' });
      return undefined;
    }
    v.forEach((x, i) => {
      if (typeof x !== 'string') this.issues.push({ loc: ['body', name, i], msg: 'Input should be a valid string', type: 'string_type' });
    });
    return v.filter((x): x is string => typeof x === 'string');
  }

  optionalLiteral<T extends string>(body: Record<string, unknown>, name: string, values: readonly T[]): T | undefined {
    const v = body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    this.issues.push({ loc: ['body', name], msg: `Input should be ${values.map((x) => `'${x}'`).join(' or ')}`, type: 'literal_error' });
    return undefined;
  }
}
