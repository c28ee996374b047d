package fathom.optim; /** Placeholder. */ final class Placeholder { private Placeholder() {} }
