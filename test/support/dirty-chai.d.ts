declare module 'dirty-chai' {
  const plugin: Chai.ChaiPlugin
  export default plugin
}
