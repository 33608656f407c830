import { parsePahole } from './pahole';
import { deriveOffsets, STRUCTS } from './offsets';

// An excerpt of `pahole -F btf -C mm_struct` on linux-image-6.1.0-57-amd64 (anonymous and named nested structs).
const MM_STRUCT = `struct mm_struct {
	struct {
		struct maple_tree  mm_mt;                /*     0    24 */
		long unsigned int  (*get_unmapped_area)(struct file *, long unsigned int, long unsigned int, long unsigned int, long unsigned int); /*    24     8 */
		atomic_t           membarrier_state;     /*    80     4 */
		atomic_t           mm_users;             /*    84     4 */
		atomic_t           mm_count;             /*    88     4 */
		mm_context_t       context;              /*   768   136 */
		struct {
			struct list_head list;           /*  1064    16 */
		} lru_gen;                               /*  1064    32 */
	};                                               /*     0  1096 */
	long unsigned int          cpu_bitmap[];         /*  1096     0 */
};`;

describe('pahole offsets', () => {
  test('members at any depth, flexible arrays, named nested structs; function pointers and anonymous closers are not members', () => {
    const m = parsePahole(MM_STRUCT);
    expect(m.get('membarrier_state')).toBe(80);
    expect(m.get('mm_users')).toBe(84);
    expect(m.get('context')).toBe(768);
    expect(m.get('cpu_bitmap')).toBe(1096);
    expect(m.get('lru_gen')).toBe(1064);
    expect(m.has('get_unmapped_area')).toBe(false);
    expect(m.has('long')).toBe(false);
  });

  test('deriveOffsets names the first member the BTF lacks', () => {
    const listings = new Map(STRUCTS.map((s) => [s, s === 'mm_struct' ? MM_STRUCT : '']));
    expect(() => deriveOffsets(listings)).toThrow('pahole: no member task_struct.mm in the kernel\'s BTF');
  });
});
