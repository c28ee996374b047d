package fathom.data; /** Placeholder. */ final class Placeholder { private Placeholder() {} }
