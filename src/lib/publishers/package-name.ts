// npm's package name rule: an optional @scope/, then lowercase letters, digits and . _ ~ -.
const NAME = '(@[a-z0-9][a-z0-9._~-]*\\/)?[a-z0-9][a-z0-9._~-]*';

// A name npm publishes under.
export const NPM_NAME = new RegExp(`^${NAME}$`);

// A name of any other ecosystem, which becomes part of a step id: the same rule, any case.
export const PACKAGE_NAME = new RegExp(`^${NAME}$`, 'i');
