package fathom.nn; /** Placeholder. */ final class Placeholder { private Placeholder() {} }
