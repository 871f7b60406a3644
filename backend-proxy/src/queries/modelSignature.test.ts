import { signatureInputNames } from './modelSignature';

const MLMODEL = `artifact_path: model
flavors:
  sklearn:
    pickled_model: model.pkl
signature:
  inputs: '[{"type": "double", "name": "age", "required": true}, {"type": "string", "name": "owner''s region", "required": true}]'
  outputs: '[{"type": "long", "required": true}]'
  params: null
`;

describe('signatureInputNames', () => {
  it("reads the signature's input columns, unescaping YAML quotes", () => {
    expect(signatureInputNames(MLMODEL)).toEqual(['age', "owner's region"]);
  });

  it('reads a signature YAML folded over several lines', () => {
    const folded = `signature:
  inputs: '[{"type": "double", "name": "age", "required": true}, {"type": "double",
    "name": "income", "required": true}, {"type": "string", "name": "region",
    "required": true}]'
  outputs: '[{"type": "long", "required": true}]'
`;
    expect(signatureInputNames(folded)).toEqual(['age', 'income', 'region']);
  });

  it('returns no names for tensor signatures, missing signatures and garbage', () => {
    expect(
      signatureInputNames(`signature:\n  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64"}}]'\n`)
    ).toEqual([]);
    expect(signatureInputNames('flavors: {}\n')).toEqual([]);
    expect(signatureInputNames("signature:\n  inputs: '[{oops'\n")).toEqual([]);
  });
});
