// Offline checks of infra/ (run by infra-tests' InfraValidationTest, or by hand: node check.mjs --help).
//  - the SAM template parses (CloudFormation tags via yaml-cfn) and validates against the SAM JSON schema
//    (draft-04, aws/serverless-application-model schema_source/sam.schema.json) when --schema names a file;
//  - every Terraform file parses as HCL2 (@cdktf/hcl2json); the parsed JSON is written for further checks.
// Prints one JSON report on stdout; exits 1 when anything fails.
import fs from 'node:fs';
import path from 'node:path';
import { yamlParse } from 'yaml-cfn';
import Ajv from 'ajv-draft-04';
import { parse as parseHcl } from '@cdktf/hcl2json';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : '']);
  return acc;
}, []));
if ('help' in args || !args.sam || !args.tf) {
  console.error('usage: node check.mjs --sam infra/sam/template.yaml --tf infra/terraform [--schema sam.schema.json]');
  process.exit(2);
}

const report = { sam: { parsed: false, validated: false, skipped: null, errors: [] }, terraform: { files: {}, errors: [] } };

try {
  const template = yamlParse(fs.readFileSync(args.sam, 'utf8'));
  report.sam.parsed = true;
  if (!args.schema || !fs.existsSync(args.schema)) {
    report.sam.skipped = `schema not found: ${args.schema || '(none given)'}`;
  } else {
    const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(args.schema, 'utf8')));
    if (validate(template)) {
      report.sam.validated = true;
    } else {
      // anyOf branches make errors noisy: keep the deepest paths, they name the offending property
      const errs = validate.errors.map(e => `${e.instancePath || '/'} ${e.message}${e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`);
      const depth = s => s.split('/').length;
      const max = Math.max(...errs.map(depth));
      const named = errs.filter(e => e.includes('additional properties'));
      report.sam.errors = [...new Set([...named, ...errs.filter(e => depth(e) >= max - 1)])].slice(0, 20);
    }
  }
} catch (e) {
  report.sam.errors.push(`cannot parse ${args.sam}: ${e.message}`);
}

for (const f of fs.readdirSync(args.tf).filter(n => n.endsWith('.tf')).sort()) {
  try {
    report.terraform.files[f] = await parseHcl(f, fs.readFileSync(path.join(args.tf, f), 'utf8'));
  } catch (e) {
    report.terraform.errors.push(`${f}: ${e.message || e}`);
  }
}
if (Object.keys(report.terraform.files).length === 0 && report.terraform.errors.length === 0) {
  report.terraform.errors.push(`no .tf files in ${args.tf}`);
}

process.stdout.write(JSON.stringify(report));
process.exit(report.sam.errors.length || report.terraform.errors.length ? 1 : 0);
