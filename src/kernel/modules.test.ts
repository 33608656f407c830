import { loadOrder, moduleDepends } from './modules';
import { KernelSetupError } from './sh';

/** A .ko's bytes around its .modinfo strings (NUL-separated "key=value"). */
const ko = (...modinfo: string[]) => Buffer.from(`\x7fELF...\0${modinfo.join('\0')}\0...`, 'latin1');

describe('the gadget modules from the kernel package', () => {
  test("a module's depends= is read from its .modinfo (empty: none)", () => {
    expect(moduleDepends(ko('license=GPL', 'depends=libcomposite,udc-core,configfs', 'name=usb_f_fs'))).toEqual(['libcomposite', 'udc-core', 'configfs']);
    expect(moduleDepends(ko('depends=', 'name=configfs'))).toEqual([]);
    expect(moduleDepends(ko('name=nothing'))).toEqual([]);
  });

  test('the load order puts every dependency first, each module once ("-" and "_" alike)', () => {
    // The dependencies of Debian's 6.1.0-57-amd64 modules (their depends= fields).
    const deps: Record<string, string[]> = {
      dummy_hcd: ['usbcore', 'udc-core', 'usb-common'], usb_f_fs: ['libcomposite', 'udc-core', 'configfs'], gadgetfs: ['udc-core'],
      libcomposite: ['configfs', 'udc-core', 'usb-common'], 'udc-core': ['usb-common'], usbcore: ['usb-common'], 'usb-common': [], configfs: [],
    };
    const order = loadOrder(['dummy_hcd', 'usb_f_fs', 'gadgetfs'], (m) => deps[m]);
    expect(order).toEqual(['usb-common', 'usbcore', 'udc-core', 'dummy_hcd', 'configfs', 'libcomposite', 'usb_f_fs', 'gadgetfs']);
    expect(loadOrder(['a'], (m) => ({ a: ['b-c', 'b_c'], 'b-c': [], b_c: [] } as Record<string, string[]>)[m])).toEqual(['b-c', 'a']);
  });

  test('a dependency cycle is a set-up error naming it', () => {
    const deps: Record<string, string[]> = { a: ['b'], b: ['a'] };
    expect(() => loadOrder(['a'], (m) => deps[m])).toThrow(KernelSetupError);
    expect(() => loadOrder(['a'], (m) => deps[m])).toThrow('module dependency cycle: a -> b -> a');
  });
});
