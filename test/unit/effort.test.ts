// The reasoning effort a turn sends: the chosen level when the model takes it, else the nearest level it
// takes (a tie goes to the lower), none for a model that takes no effort, and what was chosen for a model
// the table does not know.
import assert from 'node:assert/strict';
import { effortChoices, effortLabel, type EffortLevel, effortRows, isEffortChoice, nearestLevel, offersEffort, resolveEffort } from '../../src/core/effort';
import { KNOWN_FAMILIES, modelFacts, REASONING_EFFORTS } from '../../src/core/models';
import { REASONING_EFFORT_SETTINGS } from '../../src/core/settingsTable';

const LEVELS = REASONING_EFFORT_SETTINGS.filter((l): l is EffortLevel => l !== 'default');
const rank = (l: string) => REASONING_EFFORTS.indexOf(l as EffortLevel);

describe('effort: resolution per model', () => {
  it('maps each level the model does not take by the stated rule (table)', () => {
    const cases: Array<[string, EffortLevel, string | undefined]> = [
      ['gpt-5.1', 'xhigh', 'high'], ['gpt-5.1', 'minimal', 'none'], ['gpt-5.1', 'high', 'high'], ['gpt-5.1', 'none', 'none'],
      ['gpt-5', 'none', 'minimal'], ['gpt-5', 'xhigh', 'high'], ['gpt-5-mini', 'minimal', 'minimal'],
      ['gpt-5.2', 'minimal', 'none'], ['gpt-5.2', 'xhigh', 'xhigh'],
      ['o4-mini', 'none', 'low'], ['o4-mini', 'minimal', 'low'], ['o3', 'xhigh', 'high'],
      ['gpt-5-pro', 'low', 'high'], ['gpt-5.2-pro', 'none', 'medium'], ['gpt-5.1-codex-max', 'none', 'low'],
      ['o3-deep-research', 'xhigh', 'medium'], ['gpt-4o', 'high', undefined], ['o1-mini', 'low', undefined],
    ];
    for (const [model, chosen, sent] of cases) assert.equal(resolveEffort(model, chosen).sent, sent, `${model} ${chosen}`);
  });

  it('every known family × every level: a level the model takes, the nearest one, and a note exactly when it changed', () => {
    for (const family of KNOWN_FAMILIES) {
      const accepted = modelFacts(family).effortLevels;
      for (const chosen of LEVELS) {
        const { sent, note } = resolveEffort(family, chosen);
        const where = `${family} ${chosen}`;
        if (accepted.includes(chosen)) {
          assert.equal(sent, chosen, where);
          assert.equal(note, undefined, where);
          continue;
        }
        if (accepted.length === 0) {
          assert.equal(sent, undefined, where);
          assert.equal(note, `Effort ${chosen} is not offered by ${family}; no effort sent.`, where);
          continue;
        }
        assert.ok(sent && accepted.includes(sent), where);
        const away = Math.abs(rank(sent) - rank(chosen));
        assert.ok(accepted.every((l) => Math.abs(rank(l) - rank(chosen)) > away || (Math.abs(rank(l) - rank(chosen)) === away && rank(l) >= rank(sent))), `${where}: nearest, lower on a tie`);
        assert.equal(note, `Effort ${chosen} is not offered by ${family}; sent ${sent}.`, where);
      }
    }
  });

  it('default sends no effort, whatever the model; an unknown model gets what was chosen, unchanged', () => {
    for (const model of ['gpt-5.1', 'gpt-4o', 'llama3.1:8b']) assert.deepEqual(resolveEffort(model, 'default'), { sent: undefined });
    for (const chosen of LEVELS) assert.deepEqual(resolveEffort('llama3.1:8b', chosen), { sent: chosen });
  });

  it('the nearest level of an empty list is none at all', () => {
    assert.equal(nearestLevel('high', []), undefined);
  });
});

describe('effort: the control', () => {
  it('applies to a model that takes levels, and to an unknown model only once an effort was chosen', () => {
    assert.ok(offersEffort('gpt-5.1', 'default'));
    assert.ok(!offersEffort('gpt-4o', 'high'), 'the table says it takes no effort');
    assert.ok(!offersEffort('o1-mini', 'default'), 'reasons, but takes no level');
    assert.ok(!offersEffort('my-local-model', 'default'));
    assert.ok(offersEffort('my-local-model', 'low'));
  });

  it('lists exactly the levels the model takes, in order; every level for an unknown model', () => {
    assert.deepEqual(effortChoices('gpt-5.1'), ['none', 'low', 'medium', 'high']);
    assert.deepEqual(effortChoices('gpt-5-pro'), ['high']);
    assert.deepEqual(effortChoices('gpt-4o'), []);
    assert.deepEqual(effortChoices('my-local-model'), LEVELS);
  });

  it('labels the button with the level sent, default when none is, and nothing when the control does not apply', () => {
    assert.equal(effortLabel('gpt-5.1', 'default'), 'default');
    assert.equal(effortLabel('gpt-5.1', 'xhigh'), 'high');
    assert.equal(effortLabel('gpt-4o', 'high'), undefined);
    assert.equal(effortLabel('my-local-model', 'xhigh'), 'xhigh');
  });

  it('the picker: Default with what the setting gives, then exactly the levels the model takes, the current one marked', () => {
    const rows = (model: string, chosen: Parameters<typeof effortRows>[1], picked: boolean, setting: Parameters<typeof effortRows>[3]) =>
      effortRows(model, chosen, picked, setting).map((r) => `${r.label}${r.current ? ' *' : ''}`);
    assert.deepEqual(rows('gpt-5.1', 'default', false, 'default'), ["Default (the model's own) *", 'none', 'low', 'medium', 'high']);
    assert.deepEqual(rows('gpt-5.1', 'low', true, 'medium'), ['Default (medium)', 'none', 'low *', 'medium', 'high']);
    assert.deepEqual(rows('gpt-5.1', 'xhigh', false, 'xhigh'), ["Default (high, for the setting's xhigh) *", 'none', 'low', 'medium', 'high']);
    assert.deepEqual(rows('gpt-5.1', 'minimal', true, 'default'), ["Default (the model's own)", 'none *', 'low', 'medium', 'high'], 'a chosen level it does not take marks the one sent');
    assert.deepEqual(effortRows('gpt-5-pro', 'default', false, 'default').map((r) => r.choice), ['default', 'high']);
  });

  it('takes only default or a level from an untrusted argument', () => {
    for (const ok of ['default', ...LEVELS]) assert.ok(isEffortChoice(ok), ok);
    for (const bad of ['max', 'HIGH', '', undefined, null, 3, { level: 'high' }, '__proto__']) assert.ok(!isEffortChoice(bad), String(bad));
  });
});
