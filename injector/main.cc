int main() { return 1; }  // placeholder until the injector main lands
