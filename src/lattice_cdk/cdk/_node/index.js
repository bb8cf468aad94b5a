"use strict";
// The node-side half of lattice_cdk's StatefulnessGuard.
//
// Why this file exists: from Python every property read and every addPropertyOverride
// is a jsii round trip (0.1-0.2 ms each), and a prod app of 1,500 resources needs about
// 1,400 of them. Here, inside the jsii runtime's Node process, the same pass costs a few
// milliseconds. lattice_cdk/cdk/_node_pass.py packs this folder as a jsii assembly
// (assembly.jsii.json declares the one class below) and loads it into the runtime that
// already runs aws-cdk-lib; Python calls protect() once per guarded scope and synth.
//
// What the pass does is decided in Python and handed over as data (the spec); this file
// only applies it. Keep its rules in step with _guard.py's docstrings:
//
// * a stateful resource (its type is in spec.types) gets each absent property of its
//   checks filled in with addPropertyOverride. "Absent" means the L1 property is
//   undefined and the user added no override at that path; a token counts as set.
//   A path with "*" walks a list (a Lazy list is resolved first).
// * an instance that belongs to a DB cluster (its memberProperty is set) is left alone.
// * a resource whose type is enrolled counts towards its root stack's backup selection;
//   cluster members that are not in a cluster get the backup tag here (CDK's Tags
//   aspect excludes their type).
// * every stack gets the environment in its template Metadata; prod root stacks get
//   termination protection unless a current LAT2501 acknowledgement says otherwise.
// * each resource is handled once per process, whichever guard sees it first.
const { CfnResource, NestedStack, Stack, Stage, TagManager, Token } = require("aws-cdk-lib");

const UNKNOWN = Symbol("unknown");
// Resources some guard has handled: a second synth, or two guards whose scopes
// overlap, handle each resource once.
const handled = new WeakSet();

// CloudFormation name -> the L1's property name: PointInTimeRecoverySpecification ->
// pointInTimeRecoverySpecification, DBClusterIdentifier -> dbClusterIdentifier.
function camel(name) {
  const caps = /^[A-Z]+(?=[A-Z][a-z0-9]|$)/.exec(name);
  if (caps) {
    return caps[0].toLowerCase() + name.slice(caps[0].length);
  }
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function lcfirst(name) {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

// The value at parts below value: undefined when absent, UNKNOWN when it cannot be
// known at synth (a token, an intrinsic), else a JSON scalar.
function walk(value, parts) {
  for (const part of parts) {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value) || Token.isUnresolved(value)) {
      return UNKNOWN;
    }
    // L1 structs use camelCase keys, resolved values CloudFormation's names.
    value = part in value ? value[part] : value[camel(part)] ?? value[lcfirst(part)];
  }
  if (value === undefined || value === null) {
    return undefined;
  }
  if (Token.isUnresolved(value)) {
    return UNKNOWN;
  }
  const kind = typeof value;
  return kind === "boolean" || kind === "string" || kind === "number" ? value : UNKNOWN;
}

// The L1 property named by the first part of a path: UNKNOWN when this aws-cdk-lib's
// L1 class has no such property (it is then never filled in).
function property(resource, name) {
  const key = camel(name);
  return key in resource ? resource[key] : UNKNOWN;
}

// The user set this path (or a parent of it) with addOverride/addPropertyOverride.
function overridden(resource, parts) {
  let value = resource.rawOverrides && resource.rawOverrides.Properties;
  for (const part of parts) {
    if (value === undefined || value === null) {
      return false;
    }
    if (typeof value !== "object") {
      return true;
    }
    if (!Object.prototype.hasOwnProperty.call(value, part)) {
      return false;
    }
    value = value[part];
  }
  return true;
}

// The concrete paths of path that have no value on the resource (to be filled in).
function absentPaths(resource, path) {
  const star = path.indexOf(".*.");
  if (star < 0) {
    const [first, ...rest] = path.split(".");
    const value = property(resource, first);
    if (value === UNKNOWN || walk(value, rest) !== undefined) {
      return [];
    }
    return overridden(resource, path.split(".")) ? [] : [path];
  }
  const head = path.slice(0, star);
  const tail = path.slice(star + 3).split(".");
  let items = property(resource, head);
  if (items === UNKNOWN || items === undefined || items === null) {
    return [];
  }
  if (!Array.isArray(items)) {
    items = Stack.of(resource).resolve(items); // a Lazy list (TableV2 replicas)
  }
  if (!Array.isArray(items)) {
    return [];
  }
  const found = [];
  items.forEach((item, index) => {
    const concrete = `${head}.${index}.${tail.join(".")}`;
    if (walk(item, tail) === undefined && !overridden(resource, concrete.split("."))) {
      found.push(concrete);
    }
  });
  return found;
}

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// A well-formed, unexpired acknowledgement of ruleId (as _guard._current in Python).
function current(entry, ruleId, minReason) {
  if (entry === null || typeof entry !== "object" || entry.rule_id !== ruleId) {
    return false;
  }
  const { reason, expires } = entry;
  if (typeof reason !== "string" || reason.trim().length < minReason) {
    return false;
  }
  if (expires === undefined || expires === null) {
    return true;
  }
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(String(expires));
  return match !== null && `${match[1]}-${match[2]}-${match[3]}` >= today();
}

function rootStack(stack) {
  while (NestedStack.isNestedStack(stack) && stack.nestedStackParent) {
    stack = stack.nestedStackParent;
  }
  return stack;
}

// The stacks directly under scope (through plain constructs, not into Stages).
function stacksUnder(scope) {
  if (Stack.isStack(scope)) {
    return [scope];
  }
  const found = [];
  for (const child of scope.node.children) {
    if (Stack.isStack(child)) {
      found.push(child);
    } else if (!Stage.isStage(child)) {
      found.push(...stacksUnder(child));
    }
  }
  return found;
}

class GuardPass {
  // spec (built by _node_pass.py):
  //   types: {cfnType: {checks: [{path, value}], memberProperty?: string, enrol: bool}}
  //   reads: whether any type needs a property read or enrolment (false in dev)
  //   environment, terminationProtection, backupTag: {key, value} | null,
  //   environmentKey, acknowledgementsKey, minReason
  constructor(spec) {
    this.spec = spec;
  }

  // Returns {templateFiles: [template file names of the stacks visited],
  //          enrol: [root stacks that hold a resource to enrol, in order]}.
  protect(scope) {
    const templateFiles = [];
    const enrol = [];
    const units = [];
    if (Stage.isStage(scope) || Stack.isStack(scope)) {
      for (const stack of stacksUnder(scope)) {
        if (!this.spec.reads) {
          this.visitStack(stack, templateFiles); // nested stacks keep their parent's metadata
          continue;
        }
        const nodes = stack.node.findAll(); // a root stack's include its nested stacks'
        for (const node of nodes) {
          if (Stack.isStack(node)) {
            this.visitStack(node, templateFiles);
          }
        }
        units.push([rootStack(stack), nodes]);
      }
    } else if (this.spec.reads) {
      units.push([rootStack(Stack.of(scope)), scope.node.findAll()]);
    }
    for (const [root, nodes] of units) {
      let enrolled = false;
      for (const node of nodes) {
        // A generic CfnResource (custom resources, or a type written by hand) has no
        // L1 properties to read: it is left to CDK's type-based aspects and the
        // template check.
        if (!CfnResource.isCfnResource(node) || node.constructor === CfnResource) {
          continue;
        }
        const known = this.spec.types[node.cfnResourceType];
        if (known !== undefined && this.protectResource(node, known)) {
          enrolled = true;
        }
      }
      if (enrolled && !enrol.includes(root)) {
        enrol.push(root);
      }
    }
    return { templateFiles, enrol };
  }

  // Fill in one stateful resource; true when it is enrolled.
  protectResource(resource, known) {
    if (handled.has(resource)) {
      return false;
    }
    handled.add(resource);
    const member = known.memberProperty;
    if (member) {
      const cluster = property(resource, member);
      if (cluster !== undefined && cluster !== null && cluster !== UNKNOWN) {
        return false; // an instance of a DB cluster: the cluster holds the data
      }
    }
    for (const check of known.checks) {
      for (const path of absentPaths(resource, check.path)) {
        resource.addPropertyOverride(path, check.value);
      }
    }
    if (!known.enrol) {
      return false;
    }
    const tag = this.spec.backupTag;
    if (member && tag) {
      // Not covered by the type-based Tags aspect (a cluster's members must not be).
      const tags = TagManager.isTaggable(resource)
        ? resource.tags
        : TagManager.isTaggableV2(resource)
          ? resource.cdkTagManager
          : undefined;
      if (tags) {
        tags.setTag(tag.key, tag.value);
      }
    }
    return true;
  }

  visitStack(stack, templateFiles) {
    const spec = this.spec;
    templateFiles.push(stack.templateFile);
    const options = stack.templateOptions;
    const metadata = { ...(options.metadata || {}) };
    if (!(spec.environmentKey in metadata)) {
      // The checker (and the validation plugin) read a stack's environment here.
      metadata[spec.environmentKey] = spec.environment;
      options.metadata = metadata;
    }
    if (NestedStack.isNestedStack(stack)) {
      return; // termination protection belongs to the root stack
    }
    if (!spec.terminationProtection || stack.terminationProtection) {
      return;
    }
    const entries = metadata[spec.acknowledgementsKey];
    if (Array.isArray(entries) && entries.some((e) => current(e, "LAT2501", spec.minReason))) {
      return;
    }
    stack.terminationProtection = true;
  }
}

module.exports = { GuardPass };
